<?xml version="1.0" encoding="UTF-8"?>
<!--
  An index as data for other tools: JSON (mode st:json, built in the XPath
  JSON vocabulary so that escaping and key order are by construction) and CSV
  (mode st:csv, RFC 4180: comma separated, CRLF, quoted when needed).
  docs/indexes.md documents both formats.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="common.xsl"/>
  <xsl:import href="index.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <!-- json | csv: set by each entry stylesheet. -->
  <xsl:variable name="st:format" as="xs:string" select="'json'"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:json" on-no-match="fail"/>
  <xsl:mode name="st:csv" on-no-match="fail"/>

  <!-- The whole file, from TEI documents, their records or the computed entries. -->
  <xsl:template match="/">
    <xsl:variable name="entries" select="st:index-entries(.)"/>
    <xsl:call-template name="st:data-file">
      <xsl:with-param name="count" select="count($entries)"/>
      <xsl:with-param name="entries" select="$entries"/>
    </xsl:call-template>
  </xsl:template>

  <!-- An index computed in parts (index-model.xsl): the file without its entries (the CSV
       header; the JSON object with an empty array), which build.py fills a run at a time. -->
  <xsl:template match="document-node(element(st:entries))[st:entries/@part = 'frame']">
    <xsl:call-template name="st:data-file">
      <xsl:with-param name="count" select="count(st:entries/st:entry)"/>
      <xsl:with-param name="entries" select="()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A run of entries: CSV rows, or a JSON array. -->
  <xsl:template match="document-node(element(st:entries))[st:entries/@part = 'entries']">
    <xsl:variable name="entries" select="st:entries/st:entry"/>
    <xsl:choose>
      <xsl:when test="$st:format = 'csv'">
        <xsl:apply-templates select="$entries" mode="st:csv"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="json" as="element(fn:array)">
          <fn:array><xsl:apply-templates select="$entries" mode="st:json"/></fn:array>
        </xsl:variable>
        <xsl:value-of select="xml-to-json($json)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="st:data-file">
    <xsl:param name="count" as="xs:integer"/>
    <xsl:param name="entries" as="element(st:entry)*"/>
    <xsl:choose>
      <xsl:when test="$st:format = 'csv'">
        <xsl:value-of select="st:csv-row(('id', 'name', 'sort_key', 'letter', 'birth', 'death',
            'identification', 'in_authority', 'variants', 'mentions', 'documents', 'occurrences',
            map:keys($st:idno-types) => sort()))"
            xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
        <xsl:apply-templates select="$entries" mode="st:csv"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="json" as="element(fn:map)">
          <fn:map>
            <fn:string key="kind"><xsl:value-of select="$st:kind"/></fn:string>
            <fn:number key="count"><xsl:value-of select="$count"/></fn:number>
            <fn:array key="entries">
              <xsl:apply-templates select="$entries" mode="st:json"/>
            </fn:array>
          </fn:map>
        </xsl:variable>
        <xsl:value-of select="xml-to-json($json) || '&#10;'"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== JSON ===== -->

  <xsl:template match="st:entry" mode="st:json">
    <fn:map>
      <fn:string key="id"><xsl:value-of select="@id"/></fn:string>
      <fn:string key="name"><xsl:value-of select="@name"/></fn:string>
      <fn:string key="sortKey"><xsl:value-of select="@sort"/></fn:string>
      <fn:string key="letter"><xsl:value-of select="@letter"/></fn:string>
      <xsl:apply-templates select="@birth[. != ''], @death[. != ''], @identification[. != '']"
          mode="#current"/>
      <fn:boolean key="inAuthority"><xsl:value-of select="@authority"/></fn:boolean>
      <fn:array key="identifiers">
        <xsl:for-each select="st:idno">
          <fn:map>
            <fn:string key="type"><xsl:value-of select="@type"/></fn:string>
            <fn:string key="id"><xsl:value-of select="@id"/></fn:string>
            <xsl:choose>
              <xsl:when test="@href"><fn:string key="url"><xsl:value-of select="@href"/></fn:string></xsl:when>
              <xsl:otherwise><fn:null key="url"/></xsl:otherwise>
            </xsl:choose>
          </fn:map>
        </xsl:for-each>
      </fn:array>
      <fn:array key="variants">
        <xsl:for-each select="st:variant">
          <fn:string><xsl:value-of select="."/></fn:string>
        </xsl:for-each>
      </fn:array>
      <fn:number key="mentions"><xsl:value-of select="count(.//st:occurrence)"/></fn:number>
      <fn:array key="documents">
        <xsl:apply-templates select="st:doc" mode="#current"/>
      </fn:array>
    </fn:map>
  </xsl:template>

  <xsl:template match="@birth | @death | @identification" mode="st:json">
    <fn:string key="{local-name()}"><xsl:value-of select="."/></fn:string>
  </xsl:template>

  <xsl:template match="st:doc" mode="st:json">
    <fn:map>
      <fn:string key="id"><xsl:value-of select="@id"/></fn:string>
      <fn:string key="title"><xsl:value-of select="@title"/></fn:string>
      <fn:string key="shortTitle"><xsl:value-of select="@short"/></fn:string>
      <fn:string key="href"><xsl:value-of select="@id || '.html'"/></fn:string>
      <fn:number key="count"><xsl:value-of select="@count"/></fn:number>
      <fn:array key="occurrences">
        <xsl:for-each select="st:occurrence">
          <fn:map>
            <fn:string key="anchor"><xsl:value-of select="@anchor"/></fn:string>
            <fn:string key="href"><xsl:value-of select="../@id || '.html#' || @anchor"/></fn:string>
            <fn:string key="text"><xsl:value-of select="@text"/></fn:string>
            <fn:string key="where"><xsl:value-of select="@where"/></fn:string>
            <fn:string key="before"><xsl:value-of select="@before"/></fn:string>
            <fn:string key="after"><xsl:value-of select="@after"/></fn:string>
          </fn:map>
        </xsl:for-each>
      </fn:array>
    </fn:map>
  </xsl:template>

  <!-- ===== CSV ===== -->

  <!-- One field per column, always: an attribute an entry lacks (a name outside the authority
       files has no birth, death or identification) is an empty field, not a missing one. -->
  <xsl:template match="st:entry" mode="st:csv">
    <xsl:value-of select="st:csv-row((string(@id), string(@name), string(@sort), string(@letter),
        string(@birth), string(@death), string(@identification), string(@authority),
        string-join(st:variant, ' | '),
        string(count(.//st:occurrence)),
        string-join(st:doc ! (@id || ':' || @count), '; '),
        string-join(st:doc/st:occurrence ! (../@id || '.html#' || @anchor), ' '),
        for $type in sort(map:keys($st:idno-types)) return string-join(st:idno[@type = $type]/@id, ' ')))"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:template>

  <xsl:function name="st:csv-row" as="xs:string">
    <xsl:param name="fields" as="xs:anyAtomicType*"/>
    <xsl:sequence select="string-join($fields ! st:csv-field(string(.)), ',') || '&#13;&#10;'"/>
  </xsl:function>

  <xsl:function name="st:csv-field" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="if (matches($value, '[&quot;,&#13;&#10;]'))
        then '&quot;' || replace($value, '&quot;', '&quot;&quot;') || '&quot;' else $value"/>
  </xsl:function>

</xsl:stylesheet>
