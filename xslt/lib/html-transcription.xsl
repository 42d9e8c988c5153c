<?xml version="1.0" encoding="UTF-8"?>
<!--
  Transcription and editorial markup to HTML (mode st:html): abbreviations, sic,
  additions, deletions, substitutions, supplied and surplus text, gaps, unclear readings,
  alternatives (choice without a correction) and the critical apparatus (app).

  Every word of the source stays in the page. What the edition adds to show the markup
  ('[sic]', '(?)', sigla, Leiden's braces) is in elements of class "gen", which a reader can
  tell apart and a word count leaves out; the brackets of supplied letters and expansions
  ('[Caes]ari', 'Imp(eratori)') are kept in the words, as in the plain text.

  Other readings on demand: one reading is shown (the lemma, or the first alternative),
  followed by a button that opens the others in a popover (the HTML popover attribute:
  no script needed, closed by Escape or a click outside, hidden without CSS too):

    <span class="variants">
      <span class="lem">shown reading</span>
      <button type="button" class="variants-toggle gen" popovertarget="ID"
          aria-label="Other readings">°</button>
      <span class="variants-list" id="ID" popover="" role="note">
        <span class="rdg"><span class="wit gen">B</span> other reading</span> ...
      </span>
    </span>

  Inside a link (a linked name, a ref), where no button may be, the other readings follow
  the shown one in brackets instead: <span class="variants-list inline gen">[B: other]</span>.
  The corrections of choice/sic/corr and orig/reg are html-annotations.xsl's.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- The n-th apparatus entry or alternative of its TEI document: the popover's id. -->
  <xsl:accumulator name="st:variant-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:TEI" phase="start" select="0"/>
    <xsl:accumulator-rule match="tei:app | tei:choice[not(tei:corr | tei:reg)]
        [not(tei:abbr and tei:expan)]" phase="start" select="$value + 1"/>
  </xsl:accumulator>

  <!-- ===== abbreviations and alternatives ===== -->

  <xsl:template match="tei:choice[tei:abbr and tei:expan]" mode="st:html">
    <abbr title="{st:plain(tei:expan[1])}">
      <xsl:apply-templates select="tei:abbr[1]/node()" mode="#current"/>
    </abbr>
  </xsl:template>

  <!-- Alternatives of any other kind (two unclear readings, segments): the first shown. -->
  <xsl:template match="tei:choice" mode="st:html" priority="-1">
    <xsl:call-template name="st:variants">
      <xsl:with-param name="shown" select="*[1]"/>
      <xsl:with-param name="others" select="* except *[1]"/>
      <xsl:with-param name="label" select="'Alternative readings'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== critical apparatus ===== -->

  <xsl:template match="tei:app" mode="st:html">
    <xsl:variable name="readings" select="tei:lem | tei:rdg | tei:rdgGrp/tei:rdg
        | tei:rdgGrp/tei:lem"/>
    <xsl:variable name="shown" select="($readings[self::tei:lem], $readings)[1]"/>
    <xsl:call-template name="st:variants">
      <xsl:with-param name="shown" select="$shown"/>
      <xsl:with-param name="others" select="$readings except $shown"/>
      <xsl:with-param name="extra" select="tei:note | tei:witDetail"/>
      <xsl:with-param name="label" select="'Readings of the witnesses'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="st:variants">
    <xsl:param name="shown" as="element()?"/>
    <xsl:param name="others" as="element()*"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="extra" as="element()*" select="()"/>
    <xsl:variable name="id" select="st:docid(.) || '-v' || accumulator-before('st:variant-count')"/>
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('variants', local-name())"/>
      </xsl:call-template>
      <xsl:apply-templates select="$shown" mode="st:reading">
        <xsl:with-param name="shown" select="$shown"/>
      </xsl:apply-templates>
      <xsl:choose>
        <xsl:when test="empty($others)">
          <xsl:apply-templates select="$extra" mode="st:html"/>
        </xsl:when>
        <xsl:when test="ancestor::tei:ref or ancestor::*[st:is-link(.)]">
          <xsl:text> </xsl:text>
          <span class="variants-list inline">
            <span class="gen">[</span>
            <xsl:apply-templates select="$others" mode="st:reading"/>
            <xsl:apply-templates select="$extra" mode="st:html"/>
            <span class="gen">]</span>
          </span>
        </xsl:when>
        <xsl:otherwise>
          <button type="button" class="variants-toggle gen" popovertarget="{$id}"
              aria-label="{$label}">
            <xsl:if test="$shown ! st:sigla(.) != ''">
              <xsl:attribute name="title" select="'Shown: ' || st:sigla($shown)"/>
            </xsl:if>
            <xsl:text>°</xsl:text>
          </button>
          <xsl:text> </xsl:text>
          <span class="variants-list" id="{$id}" popover="" role="note">
            <xsl:apply-templates select="$others" mode="st:reading"/>
            <xsl:apply-templates select="$extra" mode="st:html"/>
          </span>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <!-- Whether a source element becomes a link (a name with an index entry, a speaker). -->
  <xsl:function name="st:is-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::tei:persName | self::tei:placeName | self::tei:orgName
        | self::tei:name | self::tei:rs | self::tei:title[@ref]][st:linked(.)])
        or exists($e/self::tei:speaker)"/>
  </xsl:function>

  <xsl:mode name="st:reading" on-no-match="fail" use-accumulators="#all"/>

  <!-- One reading: its witnesses' sigla (gen) before its words; an empty reading (an
       omission) says so. Readings after the first are separated by a space. -->
  <xsl:template match="*" mode="st:reading">
    <xsl:param name="shown" as="element()?" select="()"/>
    <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:variable name="wit" select="st:sigla(.)"/>
      <xsl:if test="$wit != '' and not(. is $shown)">
        <span class="wit gen"><xsl:value-of select="$wit"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates mode="st:html"/>
      <xsl:if test="not(normalize-space()) and not(*) and (self::tei:rdg or self::tei:lem)">
        <span class="gen">(om.)</span>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- The sigla of a reading's witnesses: each witness's siglum (@n, abbr) or its id. -->
  <xsl:function name="st:sigla" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="string-join(tokenize(normalize-space($reading/@wit)) ! (
        let $id := substring-after(., '#'),
            $w := key('st:id', $id, root($reading))[self::tei:witness][1]
        return if ($w/@n) then string($w/@n)
            else if ($w/tei:abbr) then st:plain($w/tei:abbr[1])
            else if ($id != '') then $id else .), ' ')"/>
  </xsl:function>

  <!-- ===== editorial interventions ===== -->

  <xsl:template match="tei:sic" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'sic'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
    <span class="sic-mark gen"> [sic]</span>
  </xsl:template>

  <xsl:template match="tei:corr | tei:add" mode="st:html">
    <ins>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:attribute name="title" select="st:described(., if (self::tei:add) then 'added'
          else 'corrected by the editors')"/>
      <xsl:apply-templates mode="#current"/>
    </ins>
  </xsl:template>

  <xsl:template match="tei:del" mode="st:html">
    <del>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'del'"/>
      </xsl:call-template>
      <xsl:attribute name="title" select="st:described(., 'deleted')"/>
      <xsl:apply-templates mode="#current"/>
    </del>
  </xsl:template>

  <xsl:template match="tei:subst | tei:mod" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- 'added above the line', 'deleted (erasure)': what the markup says, in words. -->
  <xsl:function name="st:described" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="place" select="map{'above': 'above the line', 'below': 'below the line',
        'supralinear': 'above the line', 'infralinear': 'below the line',
        'margin': 'in the margin', 'inline': 'in the line', 'overwritten': 'over the text'}
        (string($e/@place))"/>
    <xsl:sequence select="normalize-space(string-join(($what, $place,
        ($e/@rend, $e/@reason, $e/@hand ! replace(., '^#', ''))[normalize-space()]
            ! ('(' || normalize-space(.) || ')')), ' '))"/>
  </xsl:function>

  <xsl:template match="tei:supplied" mode="st:html">
    <span class="supplied" title="{st:described(., 'supplied by the editors')}">
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <span class="bracket">[</span>
      <xsl:apply-templates mode="#current"/>
      <span class="bracket">]</span>
    </span>
  </xsl:template>

  <xsl:template match="tei:surplus | tei:secl" mode="st:html" priority="2">
    <span class="surplus" title="{st:described(., 'superfluous in the source')}">
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <span class="gen">{</span>
      <xsl:apply-templates mode="#current"/>
      <span class="gen">}</span>
    </span>
  </xsl:template>

  <!-- Leiden's expansion of an abbreviation: the letters the editors add, in parentheses. -->
  <xsl:template match="tei:ex" mode="st:html">
    <span class="ex" title="expansion">
      <span class="bracket">(</span>
      <xsl:apply-templates mode="#current"/>
      <span class="bracket">)</span>
    </span>
  </xsl:template>

  <xsl:template match="tei:gap" mode="st:html">
    <span class="gap gen" title="{st:gap-description(.)}">
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:text>[…]</xsl:text>
    </span>
  </xsl:template>

  <!-- 'text omitted: 3 lines (illegible)'. -->
  <xsl:function name="st:gap-description" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="extent" select="normalize-space(string-join((($gap/@quantity,
        $gap/@extent, $gap/@atLeast ! ('at least ' || .))[1], $gap/@unit), ' '))"/>
    <xsl:sequence select="'text omitted' || (if ($extent) then ': ' || $extent else '')
        || ($gap/@reason[normalize-space()] ! (' (' || normalize-space(.) || ')'))"/>
  </xsl:function>

  <xsl:template match="tei:unclear" mode="st:html">
    <span class="unclear" title="{st:described(., 'uncertain reading')}">
      <xsl:if test="st:keeps-xml-id(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates mode="#current"/>
      <span class="gen">(?)</span>
    </span>
  </xsl:template>

</xsl:stylesheet>
