<?xml version="1.0" encoding="UTF-8"?>
<!--
  Drama to HTML (mode st:html): cast lists, speeches, speakers, stage directions.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== drama ===== -->

  <xsl:template match="tei:castList" mode="st:html">
    <section class="castList">
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul>
        <xsl:apply-templates select="node() except tei:head" mode="#current"/>
      </ul>
    </section>
  </xsl:template>

  <xsl:template match="tei:castGroup" mode="st:html">
    <li>
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul>
        <xsl:apply-templates select="node() except tei:head" mode="#current"/>
      </ul>
    </li>
  </xsl:template>

  <xsl:template match="tei:castGroup/tei:head" mode="st:html" priority="2">
    <span class="head"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="tei:role | tei:roleDesc | tei:actor" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:sp" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'sp'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:speaker" mode="st:html">
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'speaker'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template match="tei:stage" mode="st:html">
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'stage'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template match="(tei:p | tei:l | tei:ab | tei:head | tei:speaker | tei:seg | tei:hi)//tei:stage"
      mode="st:html" priority="2">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'stage'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

</xsl:stylesheet>
